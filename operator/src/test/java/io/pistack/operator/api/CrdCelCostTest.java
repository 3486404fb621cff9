package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.gitops.RealClients;
import io.pistack.operator.it.Stacks;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API server refuses a CRD whose CEL rules are estimated to cost more than 100,000,000 in total (the
 * per-CRD budget); the estimate takes every string, list and map a rule reads at the largest size the
 * schema allows (an unbounded one as big as a whole request). {@code celcost} (realapi/clients) runs the
 * API server's own CRD validation, k8s.io/apiextensions-apiserver at the version the realapi tier runs,
 * on crds/ and reads the total from it. Keep it under 60% so a new rule has room: bound what it reads
 * (maxLength, maxItems, maxProperties; model.SpecBounds agrees), or let the operator check it.
 * The figure: target/surefire-reports/io.pistack.operator.api.CrdCelCostTest-output.txt, or
 * {@code "$(bash realapi/clients/build.sh | tail -1)"/celcost crds/pistacks.pistack.io-v1.yml}.
 */
class CrdCelCostTest {
  static final double MAX_USED_PERCENT = 60.0;
  private static final Pattern SMALL = Pattern.compile("total<\\d+ limit=100000000 used<0\\.1%");
  private static final Pattern TOTAL = Pattern.compile("total=(\\d+) limit=(\\d+) used=([0-9.]+)%");

  @Test
  void theCrdsRulesSpendLessThan60PercentOfTheApiServersCostBudget() {
    theRulesSpendLessThan60Percent("crds/pistacks.pistack.io-v1.yml");
  }

  @Test
  void thePiBackupCrdHasABudgetOfItsOwn() {
    theRulesSpendLessThan60Percent("crds/pibackups.pistack.io-v1.yml");
  }

  private void theRulesSpendLessThan60Percent(String file) {
    String crd = Stacks.repoRoot().resolve(file).toString();
    RealClients.Run r = RealClients.run(null, "celcost", crd);
    assertThat(r.exitCode()).as("celcost %s (exit 1: the API server refuses the CRD)\n%s", crd, r.output())
        .isZero();
    if (SMALL.matcher(r.output()).find()) { // celcost prints "total<100000 ... used<0.1%" for a tiny total
      System.out.printf("CEL cost estimate of %s: %s", file, r.output());
      return;
    }
    Matcher m = TOTAL.matcher(r.output());
    assertThat(m.find()).as("celcost printed a total:\n%s", r.output()).isTrue();
    long total = Long.parseLong(m.group(1));
    long limit = Long.parseLong(m.group(2));
    assertThat(limit).as("the API server's per-CRD budget").isEqualTo(100_000_000L);
    double used = 100.0 * total / limit;
    System.out.printf("CEL cost estimate of " + file + ": %d of %d (%.1f%%)%n%s", total, limit, used, r.output());
    assertThat(used).as("estimated CEL cost, %% of the per-CRD budget (%d of %d):\n%s", total, limit, r.output())
        .isLessThan(MAX_USED_PERCENT);
  }
}
