/** The registry of roadmaps: each one's workflow, plan type, step table and example plan. */
package io.ferry.roadmap;
