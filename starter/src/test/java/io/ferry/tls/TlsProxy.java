package io.ferry.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Terminates TLS in front of the plain-gRPC Temporal test server, as a load balancer in front of a
 * real cluster does: offers HTTP/2 by ALPN, presents the server certificate and, for mTLS, requires
 * a client certificate signed by the client CA. Bytes are copied both ways once the handshake is
 * done.
 */
final class TlsProxy implements AutoCloseable {

  private final SSLServerSocket server;
  private final int backendPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  TlsProxy(
      TestCertificates.Issued serverCertificate, TestCertificates.Issued clientCa, int backendPort)
      throws IOException, GeneralSecurityException {
    this.backendPort = backendPort;
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "proxy".toCharArray();
    keys.setKeyEntry(
        "server",
        serverCertificate.key(),
        password,
        new Certificate[] {serverCertificate.certificate()});
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("client-ca", clientCa.certificate());
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters parameters = server.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    parameters.setNeedClientAuth(true);
    server.setSSLParameters(parameters);
    Thread acceptor = new Thread(this::accept, "tls-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        open.add(client);
        Thread connection = new Thread(() -> serve(client), "tls-proxy-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(SSLSocket client) {
    try {
      client.startHandshake();
      Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
      open.add(backend);
      Thread up = pump(client.getInputStream(), backend.getOutputStream(), backend);
      pump(backend.getInputStream(), client.getOutputStream(), client);
      up.join();
    } catch (IOException | InterruptedException refused) {
      // a handshake the proxy refused (unknown client certificate) or a connection closed
    } finally {
      close(client);
    }
  }

  private static Thread pump(InputStream from, OutputStream to, Socket toSocket) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException closed) {
                // one side went away: close the other
              } finally {
                close(toSocket);
              }
            },
            "tls-proxy-pump");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(TlsProxy::close);
  }
}
