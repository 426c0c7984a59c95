package io.rbee.keeper.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Results read as tables and key: value lines, whatever their shape. */
class ResultViewTest {
  private static String render(String json) {
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(out);
    ResultView.render(json.replace('\'', '"'), writer);
    writer.flush();
    return out.toString();
  }

  @Test
  void listOfObjectsIsAnAlignedTable() {
    String text = render("[{'worker_id':'w-1','model':'demo','state':'ready','port':9301},"
        + "{'worker_id':'w-22','model':'tiny-llama','state':'starting'}]");

    assertThat(text).isEqualTo(
        "WORKER_ID  MODEL       STATE     PORT\n"
            + "w-1        demo        ready     9301\n"
            + "w-22       tiny-llama  starting  -\n");
  }

  @Test
  void objectIsKeyValueLinesWithBytesForPeople() {
    String text = render("{'id':'demo','size_bytes':41943040,'architecture':'llama'}");

    assertThat(text).isEqualTo(
        "id:           demo\n"
            + "size_bytes:   40.0 MiB\n"
            + "architecture: llama\n");
  }

  @Test
  void listsInsideAnObjectAreIndentedTablesAndEmptyOnesSayNone() {
    String text = render("{'hives':[{'hive_id':'localhost','state':'running'}],'workers':[]}");

    assertThat(text).isEqualTo(
        "hives:\n"
            + "  HIVE_ID    STATE\n"
            + "  localhost  running\n"
            + "workers: (none)\n");
  }

  @Test
  void objectsInsideATableCellShowTheirIds() {
    String text = render("[{'hive_id':'localhost','devices':[{'id':'cpu'},{'id':'cuda:0'}]},"
        + "{'hive_id':'gpu-box','devices':[{'name':'no id'}]}]");

    assertThat(text).isEqualTo(
        "HIVE_ID    DEVICES\n"
            + "localhost  cpu, cuda:0\n"
            + "gpu-box    1 items\n");
  }

  @Test
  void nestedObjectIsIndented() {
    String text = render("{'hive_id':'h','device':{'id':'cpu','cores':8}}");

    assertThat(text).isEqualTo("hive_id: h\ndevice:\n  id:    cpu\n  cores: 8\n");
  }

  @Test
  void scalarsAndTextArePrintedPlain() {
    assertThat(render("'hello'")).isEqualTo("hello\n");
    assertThat(render("['a','b']")).isEqualTo("a\nb\n");
    assertThat(render("not json {")).isEqualTo("not json {\n");
  }
}
