# appealdesk image: `docker compose` runs it as `run` (watcher + index) and
# as scalable `worker`s (text, OCR, extract). See docker-compose.yml.

# --- build: cgo links gosseract against Tesseract and Leptonica ------------
FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libtesseract-dev libleptonica-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/appealdesk ./cmd/appealdesk

# --- runtime: the Tesseract library and language data, nothing else --------
FROM debian:bookworm-slim
# libtesseract5 pulls liblept5 and libgomp1. osd is small and lets Tesseract
# detect page orientation; poppler-utils gives the pdftoppm fallback for PDF
# pages whose images appealdesk cannot decode itself; ca-certificates is for
# --nats tls://...
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libtesseract5 tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-osd \
      poppler-utils ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# A fixed non-root uid, so a host inbox can be made readable to it
# (chgrp 10001 inbox && chmod g+rX -R inbox). /data is created 0700 and owned
# by that user, so a fresh named volume inherits both.
ARG APP_UID=10001
RUN groupadd --system --gid "${APP_UID}" appealdesk \
 && useradd --system --uid "${APP_UID}" --gid appealdesk --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin appealdesk \
 && install -d -m 0700 -o appealdesk -g appealdesk /data \
 && install -d -m 0755 /inbox
COPY --from=build /out/appealdesk /usr/local/bin/appealdesk
# libgomp reads OMP_THREAD_LIMIT only at process start: it must be in the
# environment of every process that loads Tesseract (libraries.md §2).
ENV OMP_THREAD_LIMIT=1 \
    APPEALDESK_DATA=/data
USER appealdesk:appealdesk
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/appealdesk"]
CMD ["--help"]
