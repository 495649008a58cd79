/** The real HTTP probe adapter on the JDK's {@code java.net.http} client. */
package io.ferry.activities.http;
