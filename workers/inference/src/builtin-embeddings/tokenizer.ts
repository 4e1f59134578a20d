/**
 * The SentencePiece (unigram) tokenizer of Universal Sentence Encoder lite: the most likely split of the text
 * into the vocabulary's pieces (Viterbi over the pieces' log-probabilities), read from the model's vocab.json.
 *
 * It must give exactly the ids TF.js' reference tokenizer gives, because the model was trained on those;
 * so it keeps that tokenizer's quirks: a null score (vocab.json has a few, all pieces containing ":") counts
 * as 0, a running best score of exactly 0 counts as "not set yet", and on ties the later-starting piece wins.
 */

/** vocab.json: `[piece, logProbability]` by id; ids 0–5 are reserved (0 is the unknown piece). */
export type Vocabulary = ReadonlyArray<readonly [string, number | null]>;

const WORD_START = "\u2581";
const UNKNOWN_ID = 0;
const RESERVED_IDS = 6;

interface Piece {
  id: number;
  score: number;
  /** Length in code points. */
  length: number;
}

export class SentencePieceTokenizer {
  private readonly pieces = new Map<string, Piece>();
  private readonly longestPiece: number;

  constructor(vocabulary: Vocabulary) {
    let longest = 1;
    for (let id = RESERVED_IDS; id < vocabulary.length; id++) {
      const [text, score] = vocabulary[id]!;
      const length = [...text].length;
      // A duplicated piece keeps its last id, as the reference's trie does.
      this.pieces.set(text, { id, score: score ?? 0, length });
      longest = Math.max(longest, length);
    }
    this.longestPiece = longest;
  }

  /** Token ids of one text; empty for an empty text. */
  encode(text: string): number[] {
    const symbols = toSymbols(text);
    const n = symbols.length;
    // bestScore[end]: score of the best split of symbols[0, end); lastPiece[end]: its last piece.
    const bestScore = new Array<number>(n + 1).fill(0);
    const lastPiece = new Array<{ id: number; length: number }>(n + 1);

    for (let start = 0; start < n; start++) {
      let matched = false;
      let candidate = "";
      for (let length = 1; length <= this.longestPiece && start + length <= n; length++) {
        candidate += symbols[start + length - 1];
        const piece = this.pieces.get(candidate);
        if (!piece) continue;
        matched = true;
        relax(start + length, bestScore[start]! + piece.score, piece);
      }
      // A symbol that starts no piece becomes one unknown token.
      if (!matched) relax(start + 1, bestScore[start]!, { id: UNKNOWN_ID, length: 1 });
    }

    function relax(end: number, score: number, piece: { id: number; length: number }) {
      if (bestScore[end] === 0 || score >= bestScore[end]!) {
        bestScore[end] = score;
        lastPiece[end] = piece;
      }
    }

    const ids: number[] = [];
    for (let end = n; end > 0; end -= lastPiece[end]!.length) ids.push(lastPiece[end]!.id);
    ids.reverse();
    // Runs of unknown symbols collapse into one unknown token.
    return ids.filter((id, i) => !(id === UNKNOWN_ID && ids[i - 1] === UNKNOWN_ID));
  }
}

/** NFKC, a word-start mark before the text and in place of every space, split into code points. */
function toSymbols(text: string): string[] {
  const normalized = text.normalize("NFKC");
  if (normalized.length === 0) return [];
  return [...(WORD_START + normalized.replaceAll(" ", WORD_START))];
}
