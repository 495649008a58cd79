/**
 * The worker process: picks a fleet (simulated or real), registers every roadmap's workflow and the
 * fleet's activities on a task queue, and runs until it is told to stop.
 */
package io.ferry.worker;
