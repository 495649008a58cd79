package io.ferry.activities.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for {@code rediss://}: the JDK's trust store, plus the certificates of an optional CA file
 * (PEM) for stores whose certificate a private CA signed (managed Valkey, a self-signed test
 * server). Host names are verified.
 */
final class RedisTls {

  private RedisTls() {}

  static SSLSocketFactory socketFactory(Path caFile) {
    try {
      List<X509TrustManager> managers = new ArrayList<>();
      managers.add(trustManager(null));
      if (caFile != null) {
        KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
        cas.load(null, null);
        int i = 0;
        for (X509Certificate cert : certificates(caFile)) {
          cas.setCertificateEntry("ca-" + i++, cert);
        }
        managers.add(trustManager(cas));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyOf(managers)}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS with CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path caFile)
      throws IOException, CertificateException {
    try (InputStream in = Files.newInputStream(caFile)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) cert);
      }
      if (out.isEmpty()) {
        throw new CertificateException("no certificate in " + caFile);
      }
      return out;
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager");
  }

  /** Trusts a server chain that any of the managers trusts. */
  private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("this trust manager checks servers only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      CertificateException last = null;
      for (X509TrustManager manager : managers) {
        try {
          manager.checkServerTrusted(chain, authType);
          return;
        } catch (CertificateException e) {
          last = e;
        }
      }
      throw last;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return managers.stream()
          .flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
          .toArray(X509Certificate[]::new);
    }
  }
}
