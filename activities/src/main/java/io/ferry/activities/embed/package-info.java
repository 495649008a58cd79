/**
 * The real embedder: all-MiniLM-L6-v2 (quantized) run directly on ONNX Runtime, with the model and
 * tokenizer files shipped inside their Maven artifact, so nothing is downloaded when the worker
 * runs.
 */
package io.ferry.activities.embed;
