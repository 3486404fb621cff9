package io.pistack.operator.api.v1alpha1;

/** The settings of a component's own volume (a component with one in the component table). */
public interface ComponentVolumeSettings {
  String storageSize();

  String storageClassName();
}
