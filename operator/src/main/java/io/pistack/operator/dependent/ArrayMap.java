package io.pistack.operator.dependent;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A small map of a cached object (labels, selectors, annotations, resource quantities) held in one array, keys and
 * values alternating, in insertion order: what {@link SlimCache.Compact} copies a {@code LinkedHashMap} into. A
 * {@code LinkedHashMap} of five labels takes about 320 bytes (the map, its table, an entry object per label and
 * the entry set view once iterated); this takes about 90. Lookups scan the array, so it is for small maps only ({@link
 * #MAX}). It stays a mutable {@link Map} with the usual equality, iteration order and JSON, like the map it copies.
 */
final class ArrayMap<K, V> extends AbstractMap<K, V> implements java.io.Serializable {
  /** The largest map copied into one (larger ones stay hashed). */
  static final int MAX = 16;
  private static final long serialVersionUID = 1L;

  private Object[] table;
  private int size;

  ArrayMap(Map<? extends K, ? extends V> from) {
    table = new Object[2 * from.size()];
    from.forEach((k, v) -> {
      table[2 * size] = k;
      table[2 * size + 1] = v;
      size++;
    });
  }

  private int index(Object key) {
    for (int i = 0; i < size; i++) {
      if (Objects.equals(table[2 * i], key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return index(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = index(key);
    return i < 0 ? null : (V) table[2 * i + 1];
  }

  @Override
  @SuppressWarnings("unchecked")
  public V put(K key, V value) {
    int i = index(key);
    if (i >= 0) {
      V old = (V) table[2 * i + 1];
      table[2 * i + 1] = value;
      return old;
    }
    if (2 * size == table.length) {
      table = Arrays.copyOf(table, Math.max(4, 2 * table.length));
    }
    table[2 * size] = key;
    table[2 * size + 1] = value;
    size++;
    return null;
  }

  @Override
  public V remove(Object key) {
    int i = index(key);
    if (i < 0) {
      return null;
    }
    V old = get(key);
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    System.arraycopy(table, 2 * i + 2, table, 2 * i, 2 * (size - i - 1));
    size--;
    table[2 * size] = null;
    table[2 * size + 1] = null;
  }

  @Override
  public void clear() {
    Arrays.fill(table, null);
    size = 0;
  }

  /** A view, made on each call (not kept: a kept view is 16 bytes more per map). */
  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<K, V> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            return new Entry(last);
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
          }
        };
      }
    };
  }

  /** An entry that reads and writes the array at its index. */
  private final class Entry implements Map.Entry<K, V> {
    private final int i;

    Entry(int i) {
      this.i = i;
    }

    @Override
    @SuppressWarnings("unchecked")
    public K getKey() {
      return (K) table[2 * i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getValue() {
      return (V) table[2 * i + 1];
    }

    @Override
    public V setValue(V value) {
      V old = getValue();
      table[2 * i + 1] = value;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && Objects.equals(getKey(), e.getKey()) && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return getKey() + "=" + getValue();
    }
  }
}
