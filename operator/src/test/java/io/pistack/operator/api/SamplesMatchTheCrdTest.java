package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.cli.CrdSchemaValidator;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample validates against the generated CRD's openAPIV3Schema (unknown fields included). */
class SamplesMatchTheCrdTest {
  @ParameterizedTest
  @MethodSource("io.pistack.operator.it.Stacks#samples")
  void sampleIsValid(Path sample) throws IOException {
    var doc = new ObjectMapper(new YAMLFactory()).readTree(sample.toFile());
    assertThat(new CrdSchemaValidator().validate(doc)).as(sample.getFileName().toString()).isEmpty();
  }
}
