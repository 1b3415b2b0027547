-- AlterTable
ALTER TABLE "plan" ADD COLUMN     "assignments" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "plan_assignment" ADD COLUMN     "parameters" JSONB NOT NULL DEFAULT '{}';

