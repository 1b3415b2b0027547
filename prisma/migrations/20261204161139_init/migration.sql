-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('agency', 'sales_agent', 'outbound', 'installer', 'technician');

-- CreateEnum
CREATE TYPE "OrderEventStatus" AS ENUM ('accepted', 'rejected');

-- CreateEnum
CREATE TYPE "StatementStatus" AS ENUM ('draft', 'approved', 'posted', 'delivered');

-- CreateEnum
CREATE TYPE "Decision" AS ENUM ('approved', 'rejected');

-- CreateTable
CREATE TABLE "partner" (
    "id" TEXT NOT NULL,
    "salesforce_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PartnerKind" NOT NULL,
    "parent_id" TEXT,
    "territory" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "sap_vendor_id" TEXT NOT NULL,
    "tax_profile" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "unit" TEXT NOT NULL,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" TEXT NOT NULL,
    "order_number" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "territory" TEXT NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "state" TEXT NOT NULL,
    "state_at" TIMESTAMP(3) NOT NULL,
    "signed_at" TIMESTAMP(3),
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_event" (
    "id" TEXT NOT NULL,
    "source_event_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "period_id" TEXT NOT NULL,
    "status" "OrderEventStatus" NOT NULL,
    "rejection_reason" TEXT,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_version" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "effective_to" DATE,
    "definition" JSONB NOT NULL,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "plan_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_assignment" (
    "id" TEXT NOT NULL,
    "plan_version_id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "effective_from" DATE NOT NULL,
    "effective_to" DATE,

    CONSTRAINT "plan_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pay_period" (
    "id" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "stage" TEXT NOT NULL,
    "run_number" INTEGER NOT NULL DEFAULT 0,
    "workflow_id" TEXT NOT NULL,
    "closed_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pay_period_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statement" (
    "id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "run_number" INTEGER NOT NULL,
    "status" "StatementStatus" NOT NULL,
    "currency" TEXT NOT NULL,
    "net_commission" DECIMAL(18,2) NOT NULL,
    "vat_amount" DECIMAL(18,2) NOT NULL,
    "gross_amount" DECIMAL(18,2) NOT NULL,
    "withholding_amount" DECIMAL(18,2) NOT NULL,
    "contribution_agent" DECIMAL(18,2) NOT NULL,
    "contribution_principal" DECIMAL(18,2) NOT NULL,
    "payable_amount" DECIMAL(18,2) NOT NULL,
    "taxes" JSONB NOT NULL,
    "invoice_number" TEXT,
    "approved_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commission_line" (
    "id" TEXT NOT NULL,
    "statement_id" TEXT NOT NULL,
    "line_number" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "order_id" TEXT,
    "plan_version_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "description" TEXT NOT NULL,
    "explanation" JSONB NOT NULL,

    CONSTRAINT "commission_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_decision" (
    "id" TEXT NOT NULL,
    "period_id" TEXT NOT NULL,
    "run_number" INTEGER NOT NULL,
    "decision" "Decision" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sap_posting" (
    "statement_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "document_number" TEXT NOT NULL,
    "fiscal_year" TEXT NOT NULL,
    "posted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sap_posting_pkey" PRIMARY KEY ("statement_id")
);

-- CreateTable
CREATE TABLE "statement_document" (
    "statement_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "rendered_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_document_pkey" PRIMARY KEY ("statement_id")
);

-- CreateTable
CREATE TABLE "email_delivery" (
    "statement_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "sent_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_delivery_pkey" PRIMARY KEY ("statement_id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "number_sequence" (
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "number_sequence_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "partner_salesforce_id_key" ON "partner"("salesforce_id");

-- CreateIndex
CREATE INDEX "partner_kind_idx" ON "partner"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "product_code_key" ON "product"("code");

-- CreateIndex
CREATE UNIQUE INDEX "order_order_number_key" ON "order"("order_number");

-- CreateIndex
CREATE INDEX "order_partner_id_idx" ON "order"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_event_source_event_id_key" ON "order_event"("source_event_id");

-- CreateIndex
CREATE INDEX "order_event_period_id_status_idx" ON "order_event"("period_id", "status");

-- CreateIndex
CREATE INDEX "order_event_order_id_occurred_at_idx" ON "order_event"("order_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "plan_version_plan_id_version_key" ON "plan_version"("plan_id", "version");

-- CreateIndex
CREATE INDEX "plan_assignment_partner_id_idx" ON "plan_assignment"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "statement_invoice_number_key" ON "statement"("invoice_number");

-- CreateIndex
CREATE INDEX "statement_period_id_idx" ON "statement"("period_id");

-- CreateIndex
CREATE INDEX "commission_line_order_id_idx" ON "commission_line"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "commission_line_statement_id_line_number_key" ON "commission_line"("statement_id", "line_number");

-- CreateIndex
CREATE UNIQUE INDEX "approval_decision_period_id_run_number_key" ON "approval_decision"("period_id", "run_number");

-- CreateIndex
CREATE UNIQUE INDEX "sap_posting_reference_key" ON "sap_posting"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "email_delivery_message_id_key" ON "email_delivery"("message_id");

-- CreateIndex
CREATE INDEX "audit_entry_entity_entity_id_idx" ON "audit_entry"("entity", "entity_id");

-- AddForeignKey
ALTER TABLE "partner" ADD CONSTRAINT "partner_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_version" ADD CONSTRAINT "plan_version_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_assignment" ADD CONSTRAINT "plan_assignment_plan_version_id_fkey" FOREIGN KEY ("plan_version_id") REFERENCES "plan_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_assignment" ADD CONSTRAINT "plan_assignment_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement" ADD CONSTRAINT "statement_period_id_fkey" FOREIGN KEY ("period_id") REFERENCES "pay_period"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement" ADD CONSTRAINT "statement_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commission_line" ADD CONSTRAINT "commission_line_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decision" ADD CONSTRAINT "approval_decision_period_id_fkey" FOREIGN KEY ("period_id") REFERENCES "pay_period"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sap_posting" ADD CONSTRAINT "sap_posting_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_document" ADD CONSTRAINT "statement_document_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_delivery" ADD CONSTRAINT "email_delivery_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

