package io.ferry.activities.port;

import java.time.Duration;

/** Plain HTTP GETs, timed. */
public interface HttpPort {

  HttpAnswer get(String url);

  record HttpAnswer(int status, Duration elapsed) {}
}
