package io.ferry.lab;

import io.ferry.activities.weaviate.WeaviateStandIn;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Weaviate stand-in as a server process on a lab host (started in that host's namespace):
 * {@code ADDRESS PORT API_KEY_FILE}. Weaviate itself needs Docker, which the lab has not.
 */
public final class WeaviateStandInServer {

  private WeaviateStandInServer() {}

  public static void main(String[] args) throws Exception {
    String apiKey = Files.readString(Path.of(args[2])).strip();
    WeaviateStandIn standIn =
        new WeaviateStandIn(
            apiKey, true, new InetSocketAddress(args[0], Integer.parseInt(args[1])));
    Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
    System.out.println("weaviate stand-in on " + args[0] + ":" + args[1]);
    Thread.currentThread().join();
  }
}
