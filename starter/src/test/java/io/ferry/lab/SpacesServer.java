package io.ferry.lab;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * DigitalOcean Spaces in the lab: S3Proxy (a real S3 API server, AWS signatures checked against one
 * key pair) over a directory, as a server process on a lab host: {@code ADDRESS PORT DIR
 * ACCESS_KEY_FILE SECRET_KEY_FILE BUCKET}.
 */
public final class SpacesServer {

  private SpacesServer() {}

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", args[2]);
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, args[5]);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://" + args[0] + ":" + args[1]))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4,
                Files.readString(Path.of(args[3])).strip(),
                Files.readString(Path.of(args[4])).strip())
            .build();
    proxy.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    proxy.stop();
                  } catch (Exception e) {
                    // stopping anyway
                  }
                  context.close();
                }));
    System.out.println("spaces (S3Proxy) on " + args[0] + ":" + args[1]);
    Thread.currentThread().join();
  }
}
