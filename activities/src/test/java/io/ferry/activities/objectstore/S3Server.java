package io.ferry.activities.objectstore;

import io.ferry.activities.port.ObjectStorePort.Bucket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server in the test's JVM: S3Proxy over a directory, checking AWS signatures against one
 * key pair as Spaces does.
 */
public final class S3Server implements AutoCloseable {

  public static final String ACCESS = "DO00TESTACCESSKEY";
  public static final String SECRET = "test-secret-key-for-spaces";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  public S3Server(Path dir, String... buckets) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    for (String b : buckets) {
      context.getBlobStore().createContainerInLocation(null, b);
    }
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public Bucket bucket(String name) {
    return new Bucket(endpoint(), "us-east-1", name, ACCESS, SECRET);
  }

  /** The object's bytes as the server stored them (read behind the S3 API). */
  public byte[] stored(String bucket, String key) throws java.io.IOException {
    try (java.io.InputStream in =
        context.getBlobStore().getBlob(bucket, key).getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
