package io.pistack.operator.model;

import java.util.Optional;

/**
 * One resolved restore: the backup, where the restore pod reads it, and what it must match.
 *
 * @param backup the backup's name under the target (what restore.sh and s3.sh fetch are given)
 * @param piBackup the PiBackup it came from, if any
 * @param location pvc:claim/name or s3://bucket/prefix+name
 * @param s3 an S3 target to fetch from (the source's, with this namespace's credentials), or empty for a volume
 * @param claim the claim to mount read-only, when the backup is on a volume of this namespace
 * @param manifestSha256 the PiBackup's recorded MANIFEST checksum: the restore refuses another MANIFEST
 */
public record RestoreSource(String backup, Optional<String> piBackup, String location, Optional<S3Target> s3,
    Optional<String> claim, Optional<String> manifestSha256) {}
