package dev.mailpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hostile attachment names become safe, distinct names inside one folder. */
class SafeFileNamesTest {

    @Test
    void keepsOrdinaryNamesReadable() {
        assertThat(SafeFileNames.of(1, "Quarterly report.pdf")).isEqualTo("1-Quarterly report.pdf");
        assertThat(SafeFileNames.of(2, "Grüße aus München.txt")).isEqualTo("2-Grüße aus München.txt");
    }

    @Test
    void dropsFoldersOfRelativeAndAbsolutePaths() {
        assertThat(SafeFileNames.of(1, "../../etc/passwd")).isEqualTo("1-passwd");
        assertThat(SafeFileNames.of(1, "/etc/passwd")).isEqualTo("1-passwd");
        assertThat(SafeFileNames.of(1, "C:\\Windows\\System32\\evil.dll")).isEqualTo("1-evil.dll");
        assertThat(SafeFileNames.of(1, "..")).isEqualTo("1-attachment");
        assertThat(SafeFileNames.of(1, "dir/")).isEqualTo("1-attachment");
    }

    @Test
    void replacesControlAndReservedCharacters() {
        assertThat(SafeFileNames.of(1, "a\u0000b\nc<d>e:f\"g|h?i*j.txt")).isEqualTo("1-a_b_c_d_e_f_g_h_i_j.txt");
        assertThat(SafeFileNames.of(1, "invoice\u202Efdp.exe")).doesNotContain("\u202E");
    }

    @Test
    void defusesWindowsDeviceNamesAndHiddenFiles() {
        assertThat(SafeFileNames.of(1, "CON")).isEqualTo("1-_CON");
        assertThat(SafeFileNames.of(1, "nul.txt")).isEqualTo("1-_nul.txt");
        assertThat(SafeFileNames.of(1, ".bashrc")).isEqualTo("1-bashrc");
        assertThat(SafeFileNames.of(1, "trailing dot. ")).isEqualTo("1-trailing dot");
    }

    @Test
    void cutsLongNamesKeepingTheExtension() {
        String name = SafeFileNames.of(3, "x".repeat(1_000) + ".pdf");
        assertThat(name).startsWith("3-xxx").endsWith(".pdf");
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(160);
        assertThat(SafeFileNames.of(3, "ü".repeat(500)).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(160);
    }

    @Test
    void duplicateNamesStayDistinct() {
        assertThat(SafeFileNames.of(1, "report.pdf")).isNotEqualTo(SafeFileNames.of(2, "report.pdf"));
    }

    @Test
    void writesNonAsciiAsPercentEncodedUtf8ForAnAsciiFileSystem() {
        assertThat(SafeFileNames.ascii(2, "Grüße 100%.pdf")).isEqualTo("2-Gr%C3%BC%C3%9Fe 100%25.pdf");
        assertThat(SafeFileNames.ascii(1, "../報告.txt")).isEqualTo("1-%E5%A0%B1%E5%91%8A.txt");
        assertThat(SafeFileNames.ascii(1, "ü".repeat(200) + ".pdf"))
                .hasSizeLessThanOrEqualTo(160)
                .endsWith(".pdf");
    }
}
