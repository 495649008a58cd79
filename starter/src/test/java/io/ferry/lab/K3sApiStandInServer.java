package io.ferry.lab;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The Kubernetes API of the lab's K3s master: fabric8's mock server in CRUD mode over HTTPS, as a
 * process in the master's namespace ({@code PORT}, every address of the host). K3s cannot run here;
 * the lab's k3s and helm scripts make this API reflect what they were asked.
 */
public final class K3sApiStandInServer {

  private K3sApiStandInServer() {}

  public static void main(String[] args) throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            true);
    server.init(InetAddress.getByName("0.0.0.0"), Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
    System.out.println("kubernetes API stand-in on :" + args[0]);
    Thread.currentThread().join();
  }
}
