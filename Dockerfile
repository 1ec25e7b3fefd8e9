# hale's image: FROM scratch, holding one static binary, /hale, and its provenance file
# /etc/hale/image.json.
#
#   scripts/build-image hale:latest     labels it with the version, revision and build time
#                                        that are also compiled into the binary
#
# Add hale to an application image's final stage:
#   COPY --from=hale:latest /hale /usr/local/bin/hale
#   HEALTHCHECK CMD ["/usr/local/bin/hale", "check", "http://localhost:8000/health"]
#
# Works with the classic builder and with BuildKit. No `# syntax=` line: that would pull a
# frontend image from a registry.

FROM debian:bookworm-slim AS build

# The slow step, from the two scripts alone: this layer is reused until the package list or
# the pinned httplib.h changes, whatever happens to the sources.
COPY scripts/install-deps scripts/fetch-httplib /src/scripts/
RUN /src/scripts/install-deps binary && rm -rf /var/lib/apt/lists/*

# .dockerignore keeps tests, examples, docs and third_party/ (fetched above) out of this copy.
COPY . /src/

# The build context has no .git, so the revision and build time come in as arguments (declared
# here, after the slow step, because a changed argument invalidates every RUN below it).
ARG HALE_REVISION=
ARG HALE_CREATED=
RUN HALE_REVISION="$HALE_REVISION" HALE_BUILD_TIME="$HALE_CREATED" \
    /src/scripts/build --binary-only

FROM scratch

COPY --from=build /src/build/sidecar/hale /hale

ARG HALE_VERSION=
ARG HALE_REVISION=
ARG HALE_CREATED=
ARG HALE_SOURCE=

# The provenance file hale about and /about show, written by hale itself: this stage has no
# shell, so the RUN is in exec form and hale expands ${VAR} from the build arguments. The same
# values go into the labels below.
RUN ["/hale", "stamp", "--output", "/etc/hale/image.json", "--title", "hale", \
     "--description", "Health checks, probe sidecar, hardening report and layer analysis in one static binary", \
     "--version", "${HALE_VERSION}", "--revision", "${HALE_REVISION}", \
     "--created", "${HALE_CREATED}", "--source", "${HALE_SOURCE}"]
LABEL org.opencontainers.image.title="hale" \
      org.opencontainers.image.description="Health checks, probe sidecar, hardening report and layer analysis in one static binary" \
      org.opencontainers.image.version="$HALE_VERSION" \
      org.opencontainers.image.revision="$HALE_REVISION" \
      org.opencontainers.image.created="$HALE_CREATED" \
      org.opencontainers.image.source="$HALE_SOURCE"

# A high UID and GID that exist nowhere: not root, and not a user of the host either.
USER 10001:10001
ENTRYPOINT ["/hale"]
CMD ["--help"]
