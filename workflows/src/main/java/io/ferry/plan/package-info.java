/**
 * Plan files: one environment's parameters for a roadmap, the records shared by plans and
 * activities, and validation that names each field that is wrong before anything starts.
 */
package io.ferry.plan;
