import { graphql } from "@/gql";

export const StartImportMutation = graphql(`
  mutation StartImport($input: StartImportInput!) {
    startImport(input: $input) {
      importJob {
        id
        status
        totalRows
      }
    }
  }
`);

export const ImportJobQuery = graphql(`
  query ImportJobStatus($id: ID!) {
    importJob(id: $id) {
      id
      kind
      status
      dryRun
      mode
      totalRows
      processedRows
      importedRows
      alreadyPresentRows
      failedRows
      errorCount
      failure
      errors(first: 200) {
        row
        column
        code
        message
      }
    }
  }
`);

/** Only a signal: the screen reads the job again (with its errors) when it moves. */
export const ImportProgressSignal = graphql(`
  subscription ImportProgressSignal($importJobId: ID!) {
    importProgress(importJobId: $importJobId) {
      id
      status
      processedRows
    }
  }
`);
