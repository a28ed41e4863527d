/**
 * The OpenStack REST client. Transport, session, errors and waiters are exported flat; each
 * service is a namespace of thin typed calls:
 *
 *   const cloud = new OpenStackCloud(credential);
 *   const admin = cloud.admin();
 *   const server = await compute.createServer(admin, { name, imageRef, flavorRef, networks });
 *   await compute.waitForServerStatus(admin, server, ['ACTIVE'], { timeout: 300, pollInterval: 2, prepollDelay: 1 });
 */
export * from './errors.js';
export * from './http.js';
export * from './catalog.js';
export * from './auth.js';
export * from './session.js';
export * from './pagination.js';
export * from './waiters.js';
export * from './retry.js';
export * from './cloud.js';
export * as identity from './identity.js';
export * as image from './image.js';
export * as compute from './compute.js';
export * as network from './network.js';
export * as blockStorage from './block-storage.js';
