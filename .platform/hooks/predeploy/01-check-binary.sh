#!/usr/bin/env bash
# Fails the deployment on this instance before the new version starts if the
# binary cannot run here (wrong architecture, missing file) or the configured
# upload storage is unusable (bucket policy, EFS not mounted). Also installed as
# a confighook, because an environment-property change can point
# BETCITY_STORAGE somewhere broken without any new code.
set -euo pipefail

# predeploy runs in /var/app/staging for code deployments; configuration
# deployments may not stage a bundle, so fall back to the live one.
bin=bin/betcity
if [[ ! -x "$bin" ]]; then
  bin=/var/app/current/bin/betcity
fi

# Assigned first: a failing command substitution inside echo's arguments
# would not trip set -e.
version="$("$bin" version)"
echo "betcity predeploy: running $bin version $version"

if [[ -z "${BETCITY_STORAGE:-}" ]]; then
  # Without it each instance would keep uploads on its own disk and lose them
  # on scale-in; refuse rather than deploy a fleet that loses avatars.
  echo "betcity predeploy: BETCITY_STORAGE is not set; set it to s3://bucket/prefix?region=... or file:///mnt/efs/uploads (docs/deploy-aws.md)" >&2
  exit 1
fi

"$bin" storage check
