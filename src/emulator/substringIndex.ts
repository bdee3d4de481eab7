import { EMPTY_SET, intersection, type OrdinalSet } from './ordinalSets';
import { PostingLists } from './postingLists';

/** Longest n-gram kept: trigrams are selective enough for names, and 1- and 2-grams serve shorter needles. */
const MAX_GRAM = 3;
/** Posting lists intersected per lookup: the rarest few narrow enough, the filter's own test checks the rest. */
const MAX_PROBES = 3;

/**
 * An n-gram index for `contains`: every substring of length 1..3 of each text
 * (counted in UTF-16 code units, exactly what String#includes compares) points
 * at the devices holding it. A text containing a needle contains each of the
 * needle's n-grams, so intersecting their lists gives a superset of the matches;
 * the caller verifies each candidate with the filter's own predicate.
 * Texts arrive already case-folded.
 */
export class SubstringIndex {
  private readonly postings = new PostingLists();

  add(ordinal: number, text: string): void {
    for (const gram of gramsOf(text)) this.postings.add(gram, ordinal);
  }

  /** Candidates for texts containing `needle`; undefined for '' (every text contains it). */
  candidates(needle: string): OrdinalSet | undefined {
    if (needle.length === 0) return undefined;
    const size = Math.min(MAX_GRAM, needle.length);
    const sets: OrdinalSet[] = [];
    for (let at = 0; at + size <= needle.length; at++) {
      const set = this.postings.get(needle.slice(at, at + size));
      if (set.size === 0) return EMPTY_SET;
      sets.push(set);
    }
    sets.sort((a, b) => a.size - b.size);
    return intersection(sets.slice(0, MAX_PROBES));
  }
}

/**
 * Every substring of length 1..MAX_GRAM. Repeats are harmless: a posting list
 * holds an ordinal once however often it is added.
 */
function* gramsOf(text: string): Generator<string> {
  for (let size = 1; size <= MAX_GRAM; size++) {
    for (let at = 0; at + size <= text.length; at++) yield text.slice(at, at + size);
  }
}
