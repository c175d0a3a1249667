package org.tollgate.aaa.radius.server;

/**
 * Where and how the RADIUS server listens.
 *
 * @param bindAddress  address for both sockets
 * @param authPort     Access-Request / Status-Server (1812; 0 picks a free port)
 * @param acctPort     Accounting-Request / Status-Server (1813; 0 picks a free port)
 * @param ioThreads    sockets bound per port with SO_REUSEPORT (epoll), each with its own thread
 * @param authThreads  threads deciding Access-Requests (a cache miss queries the database)
 */
public record RadiusServerSettings(String bindAddress, int authPort, int acctPort, int ioThreads, int authThreads) {
}
