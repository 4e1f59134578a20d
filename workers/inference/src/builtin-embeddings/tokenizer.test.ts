import { describe, expect, it } from "vitest";
import { packageFile } from "../../test/encoder-files";
import reference from "./reference-embeddings.json";
import { SentencePieceTokenizer, type Vocabulary } from "./tokenizer";

const vocabulary = JSON.parse(new TextDecoder().decode(await packageFile("vocab.json"))) as Vocabulary;
const tokenizer = new SentencePieceTokenizer(vocabulary);

describe("SentencePieceTokenizer", () => {
  it.each(reference.cases.map((c) => [c.text, c.tokenIds] as const))("gives the reference ids for %j", (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
  });

  it("splits a common sentence into word pieces of the vocabulary", () => {
    const pieces = tokenizer.encode("the cat").map((id) => vocabulary[id]![0]);
    expect(pieces).toEqual(["▁the", "▁cat"]);
  });

  it("collapses a run of symbols outside the vocabulary into one unknown token", () => {
    const ids = tokenizer.encode("a 漢字漢字 b");
    expect(ids.filter((id) => id === 0)).toHaveLength(1);
    expect(ids.map((id) => vocabulary[id]![0]).join("")).toBe("▁a▁�▁b");
  });

  it("gives no tokens for an empty text", () => {
    expect(tokenizer.encode("")).toEqual([]);
  });
});
