/**
 * The do-transition roadmap (seed 000): a single development VM moved onto a vector node and an app
 * node at DigitalOcean, with the source kept and watched until day 14. Its plan, steps and
 * workflow.
 */
package io.ferry.roadmap.dotransition;
