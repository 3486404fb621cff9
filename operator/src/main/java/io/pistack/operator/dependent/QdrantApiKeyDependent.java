package io.pistack.operator.dependent;

import io.pistack.operator.model.ResolvedStack;

/**
 * Qdrant's API key ({@code <stack>-qdrant-api-key}), generated once like the database's Secrets
 * ({@link GeneratedSecretDependent}) while Qdrant is enabled: the Qdrant pod requires it on every request
 * (QDRANT__SERVICE__API_KEY), the dashboard gets it to send. It stays when Qdrant is disabled, like Qdrant's volume.
 * It shares the credentials' Secret informer.
 */
public class QdrantApiKeyDependent extends GeneratedSecretDependent {

  @Override
  String secretName(ResolvedStack stack) {
    return stack.qdrantApiKeySecretName();
  }
}
