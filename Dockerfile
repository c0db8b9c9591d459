# syntax=docker/dockerfile:1
# SMA server image: build with the Swift toolchain, run on a slim Debian with only the C
# libraries SMA links (nghttp2, protobuf-c, zlib, libcrypto, jemalloc). The Swift runtime is linked statically.

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libnghttp2-dev libprotobuf-c-dev zlib1g-dev libssl-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Protos ./Protos
RUN swift build -c release --product sma-server --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/sma-server" /out/sma-server

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libnghttp2-14 libprotobuf-c1 zlib1g libssl3 libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin sma \
 && install -d -o sma -g sma /data
COPY --from=build /out/sma-server /usr/local/bin/sma-server
USER 10001
VOLUME ["/data"]
EXPOSE 50051
ENV SMA_HOST=0.0.0.0 SMA_PORT=50051 SMA_DATA_DIR=/data
# SIGTERM starts the graceful shutdown (GOAWAY, in-flight calls finish, exit 0).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/sma-server"]
