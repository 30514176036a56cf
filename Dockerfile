# One image for the API, the worker and the relay (the command selects which). Build: docker build -t tiktok-shop-ops .
# Node 24: the Active LTS line (Node 20 reached end of life in April 2026, https://nodejs.org/en/about/previous-releases).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The compiled tests need test-only packages (devDependencies) and are not shipped.
RUN npx tsc -p tsconfig.json && rm -rf dist/test && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
USER node
EXPOSE 3000 8888
# SIGTERM reaches node directly (exec form): the API drains requests, the worker its activities.
CMD ["node", "dist/api/main.js"]
