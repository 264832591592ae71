import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'sqlite', schema: './register/schema/sqlite.ts', out: './register/migrations/sqlite' });
