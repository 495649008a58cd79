/**
 * The real embedder: all-MiniLM-L6-v2 (quantized) run in-process on ONNX Runtime, with the model
 * shipped inside its Maven artifact, so nothing is downloaded when the worker runs.
 */
package io.ferry.activities.embed;
