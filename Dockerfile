# Image for the Incentra API and worker (one image, two commands; see docker-compose.yml).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/prisma-generate.mjs && npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/data ./data
COPY --from=build /app/examples ./examples
# INCENTRA_DATA_DIR in docker-compose.yml: SAP records, documents and the outbox of local runs.
RUN mkdir -p /var/lib/incentra && chown node:node /var/lib/incentra
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
