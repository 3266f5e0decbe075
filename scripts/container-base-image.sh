#!/bin/sh
# Makes localhost/debian-jre17, the base image the container test builds mailpipe's image on: no
# image registry is reachable here, so it is made from Debian's packages (about 80 s, 395 MB).
# Users build FROM eclipse-temurin:17-jre (the Containerfile's default) or any JRE 17 image.
# Needs: apt-get install podman runc mmdebstrap uidmap (as root).
set -eu
if podman image exists localhost/debian-jre17 2>/dev/null; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ca-certificates bookworm "$work/rootfs.tar"
podman import "$work/rootfs.tar" localhost/debian-jre17
