package io.pistack.operator.dependent;

/** The operator's field manager: the controller's name, under which every child is applied. */
public final class FieldManager {
  public static final String NAME = "pi-operator";

  private FieldManager() {}
}
