-- A mock-recall drill's answer as it was found when the drill ran (decision 0028): its report is
-- the record of that drill, so reading it later must not walk the genealogy again and show today.
-- CreateTable
CREATE TABLE "recall_case_answer" (
    "case_id" UUID NOT NULL,
    "answer" JSON NOT NULL,

    CONSTRAINT "recall_case_answer_pkey" PRIMARY KEY ("case_id")
);

-- AddForeignKey
ALTER TABLE "recall_case_answer" ADD CONSTRAINT "recall_case_answer_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "recall_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
