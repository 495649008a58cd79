package io.ferry.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate authorities and the certificates they sign, made fresh for each test run. */
final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its private key. */
  record Issued(X509Certificate certificate, PrivateKey key) {

    /** Writes the certificate as PEM to {@code cert} and the key as PKCS#8 PEM to {@code key}. */
    void write(Path cert, Path key) throws IOException, GeneralSecurityException {
      writeCertificate(cert);
      Files.writeString(key, pem("PRIVATE KEY", this.key.getEncoded()), StandardCharsets.US_ASCII);
    }

    void writeCertificate(Path cert) throws IOException, GeneralSecurityException {
      Files.writeString(
          cert, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
    }

    /** A certificate this authority signs for {@code name}, for a server or a client. */
    Issued issue(String name, boolean client) throws GeneralSecurityException {
      KeyPair pair = keyPair();
      X509v3CertificateBuilder builder =
          builder(certificate.getSubjectX500Principal().getName(), "CN=" + name, pair);
      try {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
        if (!client) {
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        }
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      return new Issued(sign(builder, key), pair.getPrivate());
    }
  }

  /** A self-signed certificate authority. */
  static Issued authority(String name) throws GeneralSecurityException {
    KeyPair pair = keyPair();
    X509v3CertificateBuilder builder = builder("CN=" + name, "CN=" + name, pair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(sign(builder, pair.getPrivate()), pair.getPrivate());
  }

  private static X509v3CertificateBuilder builder(String issuer, String subject, KeyPair pair) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        new X500Name(issuer),
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        new X500Name(subject),
        pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey by)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(by)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private TestCertificates() {}
}
