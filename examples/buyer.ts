import { fileURLToPath } from 'node:url';
import { graphql } from './__generated__/gql.ts';
import { ShopClient } from './shopClient.ts';

/**
 * A buyer's session against the router, using only typed documents: register, log in, buy the
 * first product in stock, read back one's purchases. Run it with `npm run example` while
 * `npm start` runs.
 */

export const RegisterMember = graphql(`
  mutation RegisterMember($input: RegisterMemberInput!) {
    registerMember(input: $input) {
      id
      username
    }
  }
`);

export const LogIn = graphql(`
  mutation LogIn($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      expiresAt
    }
  }
`);

export const ProductsInStock = graphql(`
  query ProductsInStock($first: Int) {
    products(first: $first) {
      nodes {
        id
        name
        price
        stock
      }
    }
  }
`);

export const BuyProduct = graphql(`
  mutation BuyProduct($input: CreatePurchaseInput!) {
    createPurchase(input: $input) {
      id
      totalPrice
    }
  }
`);

export const MyPurchases = graphql(`
  query MyPurchases {
    me {
      username
      purchases(first: 10) {
        nodes {
          quantity
          totalPrice
          purchasedAt
          member {
            username
          }
          product {
            name
            stock
          }
        }
      }
    }
  }
`);

export async function buyOnce(routerUrl: string, username: string, password: string) {
  const client = new ShopClient(routerUrl);
  await client.request(RegisterMember, { input: { username, password } });
  const { login } = await client.request(LogIn, { username, password });
  client.logInWith(login.token);

  const { products } = await client.request(ProductsInStock, { first: 50 });
  const product = products.nodes.find((candidate) => candidate.stock > 0);
  if (!product) throw new Error('Nothing is in stock');
  await client.request(BuyProduct, {
    input: { productId: product.id, quantity: 1, idempotencyKey: `${username}-first-purchase` },
  });

  const { me } = await client.request(MyPurchases);
  return { bought: product.name, purchases: me.purchases.nodes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [routerUrl = 'http://127.0.0.1:4000/', username = `buyer-${Date.now().toString(36)}`] = process.argv.slice(2);
  const { bought, purchases } = await buyOnce(routerUrl, username, 'example-password');
  console.log(`${username} bought "${bought}". Their purchases:`);
  for (const purchase of purchases) {
    console.log(`  ${purchase.quantity} × ${purchase.product?.name ?? '(removed product)'} for ${purchase.totalPrice} cents`);
  }
}
