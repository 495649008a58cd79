package io.ferry.activities.objectstore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * What the store already holds of an unfinished multipart upload of one key: the upload to continue
 * and the parts of it that match the local file slice by slice (size and MD5).
 */
final class MultipartState {

  private final String uploadId;
  private final Map<Integer, String> matchingETags;

  private MultipartState(String uploadId, Map<Integer, String> matchingETags) {
    this.uploadId = uploadId;
    this.matchingETags = matchingETags;
  }

  static MultipartState none() {
    return new MultipartState(null, Map.of());
  }

  /**
   * The newest unfinished upload of {@code key} whose every part matches {@code file}; others of
   * the key are aborted (their parts would be billed and never completed).
   */
  static MultipartState find(
      S3Client s3, String bucket, String key, Path file, long size, long partBytes)
      throws IOException {
    List<MultipartUpload> uploads =
        s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads().stream()
            .filter(u -> key.equals(u.key()))
            .sorted(
                Comparator.comparing(
                        MultipartUpload::initiated,
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                    .reversed())
            .toList();
    MultipartState found = none();
    for (MultipartUpload upload : uploads) {
      Map<Integer, String> matching =
          found.uploadId == null
              ? matchingParts(s3, bucket, key, upload, file, size, partBytes)
              : null;
      if (matching != null) {
        found = new MultipartState(upload.uploadId(), matching);
      } else {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload.uploadId()));
      }
    }
    return found;
  }

  Optional<String> uploadId() {
    return Optional.ofNullable(uploadId);
  }

  /** The ETag of part {@code number} when the store holds it with the local bytes, else null. */
  String uploadedETag(int number) {
    return matchingETags.get(number);
  }

  /** Null when a part differs from the local file: that upload was of other content. */
  private static Map<Integer, String> matchingParts(
      S3Client s3,
      String bucket,
      String key,
      MultipartUpload upload,
      Path file,
      long size,
      long partBytes)
      throws IOException {
    Map<Integer, String> matching = new HashMap<>();
    for (Part part :
        s3.listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(upload.uploadId())).parts()) {
      long from = (part.partNumber() - 1L) * partBytes;
      long length = Math.min(partBytes, size - from);
      String etag = part.eTag() == null ? "" : part.eTag().replace("\"", "");
      if (from >= size
          || part.size() == null
          || part.size() != length
          || !etag.equalsIgnoreCase(FileSlice.md5(file, from, length))) {
        return null;
      }
      matching.put(part.partNumber(), part.eTag());
    }
    return matching;
  }
}
