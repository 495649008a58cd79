package io.ferry.activities.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The embedder gives the vectors langchain4j's in-process model gave for the same model file, the
 * embedder Ferry used before: same tokenizer settings, same truncation, same pooling.
 */
class MiniLmEmbedderMatchesLangchain4jTest {

  private static final MiniLmEmbedder embedder = new MiniLmEmbedder(2);
  private static final ExecutorService reference = Executors.newFixedThreadPool(2);
  private static final AllMiniLmL6V2QuantizedEmbeddingModel langchain4j =
      new AllMiniLmL6V2QuantizedEmbeddingModel(reference);

  @AfterAll
  static void close() {
    embedder.close();
    reference.shutdownNow();
  }

  /** Ordinary, long, tiny, non-ASCII and odd texts. */
  static List<String> corpus() {
    List<String> texts = new ArrayList<>();
    texts.add("remember the milk");
    texts.add("The deploy is on Friday, after the weekly review of the release.");
    texts.add("Customer asked for a refund: invoice #4471 was charged twice (EUR 120.00).");
    texts.add("don't, won't, can't; it's the user's call — isn't it?");
    texts.add("do n't split words like this 's");
    texts.add("hello [SEP] world [CLS] and [UNK] spelled out");
    texts.add("a , b . c ! d ? e");
    texts.add("https://example.com/path?q=1&r=two#frag and user@example.org");
    texts.add("SELECT * FROM accounts WHERE id = 42; -- a query");
    texts.add("{\"text\":\"json inside text\",\"n\":[1,2,3]}");
    texts.add("x"); // one character
    texts.add("?");
    texts.add("é");
    texts.add("😀");
    texts.add("Crème brûlée, señor Müller: Ærøskøbing, Łódź, İstanbul.");
    texts.add("Größenverhältnisse der Straße über alles");
    texts.add("日本語のテキストを埋め込みます。東京は晴れです。");
    texts.add("我们明天在北京开会，讨论数据库迁移。");
    texts.add("한국어 문장도 포함됩니다");
    texts.add("Привет, как дела? Всё хорошо.");
    texts.add("مرحبا بالعالم");
    texts.add("ship it 🚀🚀🔥 today 👍🏽 ok");
    texts.add("tabs\tand\nnewlines\r\nand\u0000control\u0007chars");
    texts.add("supercalifragilisticexpialidocious".repeat(5)); // one word past 100 characters
    texts.add("1234567890 3.14159 -42 1e10 0xFF");
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      words.append("word").append(i % 37).append(i % 2 == 0 ? " " : ", ");
    }
    texts.add(words.toString()); // well past 128 tokens: the tokenizer file truncates
    texts.add("The migration of the customer database to the new cluster ".repeat(60)); // > 512
    texts.add("unbelievably ".repeat(127) + "antidisestablishmentarianism"); // cut inside a word
    texts.add("數據庫遷移 ".repeat(200)); // long CJK
    return texts;
  }

  @Test
  void embed_givesLangchain4jsVectors_onOrdinaryLongTinyAndNonAsciiTexts() {
    List<String> texts = corpus();

    List<float[]> ours = embedder.embed(texts);

    for (int i = 0; i < texts.size(); i++) {
      float[] theirs = langchain4j.embed(TextSegment.from(texts.get(i))).content().vector();
      assertThat(cosine(ours.get(i), theirs))
          .as("cosine for text %d: %s", i, abbreviate(texts.get(i)))
          .isGreaterThanOrEqualTo(0.9999);
    }
  }

  @Test
  void embed_blankText_isTheVectorOfNoTokens_whereLangchain4jRefusedIt() {
    List<float[]> v = embedder.embed(List.of(" ", "\t\n ", ""));

    assertThat(cosine(v.get(0), v.get(0))).isCloseTo(1.0, within(1e-4));
    assertThat(v.get(1)).containsExactly(v.get(0));
    assertThat(v.get(2)).containsExactly(v.get(0));
    assertThatThrownBy(() -> langchain4j.embed(TextSegment.from(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
