# The app's image: one image, two processes (API server, worker), chosen by the command.
#   docker build -t credcase .
#   docker run credcase                      # API server + pages  (node app/server.ts)
#   docker run credcase node app/worker.ts   # a worker            (node app/worker.ts)
# See docs/deployment.md for the layout and every setting.
FROM node:24-bookworm-slim

# Workers print documents with Chromium; Chinese needs a CJK font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# every worker of a release runs the same workflow bundle, built once here
RUN node app/bundleWorkflows.ts dist/workflow-bundle.js

ENV NODE_ENV=production \
    DATABASE_DRIVER=postgresql \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=3000 \
    WORKER_HEALTH_PORT=3001 \
    CHROMIUM_PATH=/usr/bin/chromium \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000 3001

# the API server answers /healthz on HTTP_PORT, a worker on WORKER_HEALTH_PORT: whichever this container runs
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "Promise.any([3000,3001].map(port=>fetch('http://127.0.0.1:'+port+'/healthz').then(r=>{if(!r.ok)throw r.status}))).then(()=>process.exit(0),()=>process.exit(1))"

CMD ["node", "app/server.ts"]
