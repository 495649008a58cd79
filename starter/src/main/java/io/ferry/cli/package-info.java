/**
 * The {@code ferry} command line: validate and rehearse plans, start migrations, watch and steer
 * them. One picocli command per class; {@link io.ferry.cli.FerryCli} wires them together.
 */
package io.ferry.cli;
