package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pure side of {@link DatabaseGrants}; what the grants allow is proven on a real server (DatabaseGrantsSqlTest). */
class DatabaseGrantsTest {
  @Test
  void rootIsNeverTheApplicationOrBackupUser() {
    assertThatThrownBy(() -> DatabaseGrants.applicationUser("dashboard", "root", "pw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
    assertThatThrownBy(() -> DatabaseGrants.backupUser("dashboard", "root", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotesNamesAndPasswordsAndGrantsOnTheSchemaOnly() {
    String sql = DatabaseGrants.applicationUser("dash`board", "o'neil", "a'b\\c");
    assertThat(sql).contains("'o''neil'@'%'", "'a''b\\\\c'", "ON `dash``board`.* TO")
        .doesNotContain("*.*").doesNotContain("SUPER").doesNotContain("GRANT OPTION");
    assertThatThrownBy(() -> DatabaseGrants.applicationUser("dashboard", "u", "p\0w"))
        .hasMessageNotContaining("p\0w");
  }
}
