import { graphql } from "@/gql";

export const UsersQuery = graphql(`
  query AdminUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          email
          roles
          createdAt
        }
      }
    }
  }
`);

export const ServiceAccountsQuery = graphql(`
  query AdminServiceAccounts {
    serviceAccounts {
      id
      name
      roles
      createdAt
      createdBy {
        name
      }
    }
  }
`);

export const CreateUserMutation = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        name
        email
      }
    }
  }
`);

export const CreateServiceAccountMutation = graphql(`
  mutation AdminCreateServiceAccount($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) {
      token
      serviceAccount {
        id
        name
      }
    }
  }
`);
