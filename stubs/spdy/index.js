/* global module */
'use strict';

// See package.json: restify 11 loads spdy at start-up; Passcode Desk never asks for a SPDY server.
module.exports = {
  createServer() {
    throw new Error('SPDY servers are not available in Passcode Desk (restify option "spdy").');
  },
};
