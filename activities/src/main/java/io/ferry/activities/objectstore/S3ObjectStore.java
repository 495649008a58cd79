package io.ferry.activities.objectstore;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ObjectStorePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStorePort} over the S3 API. A file larger than one part goes up as a multipart
 * upload, each part streamed from the file; an interrupted upload is continued by the next attempt
 * (parts already stored are not sent again), a refused one aborted. Its SHA-256 travels as the
 * object's {@code sha256} metadata, which a retry reads to find the object already stored.
 * Path-style addressing and checksums only where required: what Spaces and other S3 servers accept
 * alike.
 */
public final class S3ObjectStore implements ObjectStorePort {

  static final String SHA256 = "sha256";

  private final List<ExecutionInterceptor> interceptors;

  public S3ObjectStore() {
    this(List.of());
  }

  /** With interceptors on every request (tests count and interrupt requests with them). */
  S3ObjectStore(List<ExecutionInterceptor> interceptors) {
    this.interceptors = List.copyOf(interceptors);
  }

  @Override
  public Optional<StoredObject> head(Bucket bucket, String key) {
    try (S3Client s3 = client(bucket)) {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket.name()).key(key));
      return Optional.of(
          new StoredObject(key, head.contentLength(), head.metadata().get(SHA256), partsOf(head)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
        return Optional.empty();
      }
      throw failure(bucket, key, e);
    }
  }

  @Override
  public StoredObject upload(
      Bucket bucket, String key, String localPath, String sha256, long partBytes) {
    Path file = Path.of(Failures.require("localPath", localPath));
    if (partBytes < 5L * 1024 * 1024) {
      throw Failures.invalidInput("S3 parts are at least 5 MiB, was " + partBytes);
    }
    try (S3Client s3 = client(bucket)) {
      long size = Files.size(file);
      String actual = FileSlice.sha256(file, size);
      if (!actual.equals(sha256)) {
        throw new IllegalStateException(
            file
                + " on the worker has SHA-256 "
                + actual
                + ", not the "
                + sha256
                + " it was"
                + " written with: it changed since, so it is not stored under that checksum");
      }
      Map<String, String> metadata = Map.of(SHA256, sha256);
      int parts;
      if (size <= partBytes) {
        s3.putObject(
            b -> b.bucket(bucket.name()).key(key).metadata(metadata), RequestBody.fromFile(file));
        parts = 1;
      } else {
        parts = multipart(s3, bucket, key, file, size, partBytes, metadata);
      }
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket.name()).key(key));
      if (parts > 1 && !sha256.equals(head.metadata().get(SHA256))) {
        // the continued upload was begun for other content with these first parts: start afresh
        s3.deleteObject(b -> b.bucket(bucket.name()).key(key));
        parts = multipart(s3, bucket, key, file, size, partBytes, metadata);
        head = s3.headObject(b -> b.bucket(bucket.name()).key(key));
      }
      return new StoredObject(key, head.contentLength(), head.metadata().get(SHA256), parts);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " on the worker", e);
    } catch (S3Exception e) {
      throw failure(bucket, key, e);
    }
  }

  /**
   * Uploads the file in parts, each streamed from its slice of the file. An unfinished upload of
   * the same key (an earlier attempt that failed midway) is continued: a part it holds with the
   * local slice's size and MD5 is not sent again. Uploads of the key that do not match are aborted.
   */
  private static int multipart(
      S3Client s3,
      Bucket bucket,
      String key,
      Path file,
      long size,
      long partBytes,
      Map<String, String> metadata)
      throws IOException {
    MultipartState state = MultipartState.find(s3, bucket.name(), key, file, size, partBytes);
    String uploadId =
        state
            .uploadId()
            .orElseGet(
                () ->
                    s3.createMultipartUpload(
                            b -> b.bucket(bucket.name()).key(key).metadata(metadata))
                        .uploadId());
    List<CompletedPart> done = new ArrayList<>();
    try {
      int number = 0;
      for (long offset = 0; offset < size; offset += partBytes) {
        long length = Math.min(partBytes, size - offset);
        int partNumber = ++number;
        String etag = state.uploadedETag(partNumber);
        if (etag == null) {
          long from = offset;
          etag =
              s3.uploadPart(
                      b ->
                          b.bucket(bucket.name())
                              .key(key)
                              .uploadId(uploadId)
                              .partNumber(partNumber)
                              .contentLength(length),
                      RequestBody.fromContentProvider(
                          () -> FileSlice.open(file, from, length),
                          length,
                          "application/octet-stream"))
                  .eTag();
        }
        done.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket.name())
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(done)));
      return done.size();
    } catch (S3Exception e) {
      if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 408) {
        // refused, not interrupted: nothing to continue, so no half object is left billed
        abortQuietly(s3, bucket, key, uploadId, e);
      }
      throw e;
    }
  }

  static void abortQuietly(
      S3Client s3, Bucket bucket, String key, String uploadId, Exception cause) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket.name()).key(key).uploadId(uploadId));
    } catch (RuntimeException abort) {
      cause.addSuppressed(abort);
    }
  }

  /** The part count an S3 ETag carries after a multipart upload ({@code "<md5>-<parts>"}). */
  private static int partsOf(HeadObjectResponse head) {
    String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
    int dash = etag.lastIndexOf('-');
    if (dash < 0) {
      return 1;
    }
    try {
      return Integer.parseInt(etag.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static RuntimeException failure(Bucket bucket, String key, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String what = bucket.name() + "/" + key + " at " + bucket.endpoint();
    if (e.statusCode() == 403 || "InvalidAccessKeyId".equals(code)) {
      return io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "the object store refused the keys for " + what + " (" + code + ")",
          io.ferry.runbook.FailureTypes.AUTH);
    }
    if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
      return Failures.notFound("no bucket " + bucket.name() + " at " + bucket.endpoint());
    }
    return new IllegalStateException(
        "S3 call on " + what + " failed: " + e.statusCode() + " " + code, e);
  }

  private S3Client client(Bucket bucket) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(Failures.require("endpoint", bucket.endpoint())))
        .region(Region.of(bucket.region() == null ? "us-east-1" : bucket.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(bucket.accessKey(), bucket.secretKey())))
        .forcePathStyle(true)
        .overrideConfiguration(c -> c.executionInterceptors(interceptors))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }
}
