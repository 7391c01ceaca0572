# A small image holding the static evreg binary:
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/repo" -w /repo ghcr.io/evreg/evreg check
# (running as the owner of the mounted files keeps git's ownership check, and files evreg writes,
# as they are on the host). The release workflow builds and pushes it for every tag.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
# The release's commit: `evreg init` pins the GitHub Action by it.
ARG EVREG_RELEASE_COMMIT
ENV EVREG_RELEASE_COMMIT=${EVREG_RELEASE_COMMIT}
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin evreg \
    && install -D target/release/evreg /out/evreg

FROM scratch
COPY --from=build /out/evreg /evreg
WORKDIR /repo
ENTRYPOINT ["/evreg"]
CMD ["check"]
