-- Daily metric rollups (read only when MetricState says they match the current definitions and
-- ORG_TIMEZONE; until the first build the metrics are computed from the raw rows), the state of
-- derived data, and the rule that made each failed change one.

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "failedChangeRule" TEXT;

-- CreateTable
CREATE TABLE "MetricDayRollup" (
    "serviceId" UUID NOT NULL,
    "methodology" "Methodology" NOT NULL,
    "day" DATE NOT NULL,
    "attemptCount" INTEGER NOT NULL,
    "successfulCount" INTEGER NOT NULL,
    "failedChangeCount" INTEGER NOT NULL,
    "reworkCount" INTEGER NOT NULL,
    "anyProvisional" BOOLEAN NOT NULL,
    "changeCount" INTEGER NOT NULL,
    "independentlyApprovedCount" INTEGER NOT NULL,
    "knownCommitCount" INTEGER NOT NULL,
    "signedCommitCount" INTEGER NOT NULL,
    "leadTimeSeconds" DOUBLE PRECISION[],
    "codingSeconds" DOUBLE PRECISION[],
    "reviewSeconds" DOUBLE PRECISION[],
    "waitingSeconds" DOUBLE PRECISION[],
    "recoverySeconds" DOUBLE PRECISION[],

    CONSTRAINT "MetricDayRollup_pkey" PRIMARY KEY ("serviceId","methodology","day")
);

-- CreateTable
CREATE TABLE "MetricState" (
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "builtAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MetricState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "MetricDayRollup_day_idx" ON "MetricDayRollup"("day");

-- AddForeignKey
ALTER TABLE "MetricDayRollup" ADD CONSTRAINT "MetricDayRollup_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "MetricWindowRollup" (
    "fromDay" DATE NOT NULL,
    "toDay" DATE NOT NULL,
    "serviceId" UUID NOT NULL,
    "cohort" TEXT NOT NULL,
    "attemptCount" INTEGER NOT NULL,
    "deploymentCount" INTEGER NOT NULL,
    "deploymentsPerDay" DOUBLE PRECISION,
    "deploymentDaysPerWeekMedian" DOUBLE PRECISION,
    "deploymentDaysPerMonthMedian" DOUBLE PRECISION,
    "leadTimeChangeCount" INTEGER NOT NULL,
    "leadTimeMedianHours" DOUBLE PRECISION,
    "leadTimeP90Hours" DOUBLE PRECISION,
    "codingTimeMedianHours" DOUBLE PRECISION,
    "reviewTimeMedianHours" DOUBLE PRECISION,
    "waitingTimeMedianHours" DOUBLE PRECISION,
    "failedChangeCount" INTEGER NOT NULL,
    "changeFailRate" DOUBLE PRECISION,
    "recoveredCount" INTEGER NOT NULL,
    "recoveryTimeMedianHours" DOUBLE PRECISION,
    "reworkCount" INTEGER NOT NULL,
    "reworkRate" DOUBLE PRECISION,
    "deploymentSuccessRate" DOUBLE PRECISION,
    "tracedChangeCount" INTEGER NOT NULL,
    "independentlyApprovedChangeCount" INTEGER NOT NULL,
    "knownCommitCount" INTEGER NOT NULL,
    "signedCommitCount" INTEGER NOT NULL,
    "anyFlagProvisional" BOOLEAN NOT NULL,

    CONSTRAINT "MetricWindowRollup_pkey" PRIMARY KEY ("fromDay","toDay","serviceId","cohort")
);

-- AddForeignKey
ALTER TABLE "MetricWindowRollup" ADD CONSTRAINT "MetricWindowRollup_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
