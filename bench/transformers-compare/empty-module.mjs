// Stands in for the Node-only modules @xenova/transformers imports (fs, path, url, sharp, onnxruntime-node):
// in a worker it takes its web paths, which check that these are empty and never call them.
export default {};
