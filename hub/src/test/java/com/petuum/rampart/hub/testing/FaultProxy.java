package com.petuum.rampart.hub.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that forwards to one target and injects faults on command: delay every
 * chunk, silently drop everything, reset every connection (RST), or cut every connection (FIN).
 * Thread-safe. Closing stops the listener and every connection and thread it started.
 */
public final class FaultProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile long delayMillis;
  private volatile boolean dropping;
  private volatile boolean closed;

  public FaultProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Delays every forwarded chunk by this much; 0 turns the delay off. */
  public void delay(long millis) {
    this.delayMillis = millis;
  }

  /** While true, bytes in both directions are read and thrown away; connections stay open. */
  public void drop(boolean value) {
    this.dropping = value;
  }

  /** Resets every open connection: both sides see a connection reset. */
  public void resetAll() {
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0);
        socket.close();
      } catch (IOException e) {
        log.debug("Reset of a proxied socket failed", e);
      }
    }
    sockets.clear();
  }

  /** Closes every open connection normally. */
  public void cutAll() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  /** Returns how many proxied sockets are open, two per connection. */
  public int openSockets() {
    return sockets.size();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    cutAll();
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        try {
          server.connect(target, 5000);
        } catch (IOException e) {
          closeQuietly(client);
          closeQuietly(server);
          continue;
        }
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        threads.execute(() -> pump(client, server));
        threads.execute(() -> pump(server, client));
      } catch (IOException e) {
        if (!closed) {
          log.debug("Proxy accept failed", e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        if (dropping) {
          continue;
        }
        long delay = delayMillis;
        if (delay > 0) {
          // This sleep is the injected latency: the pump thread delays the chunk.
          TimeUnit.MILLISECONDS.sleep(delay);
        }
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      log.debug("Proxied connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      log.debug("Close failed", e);
    }
  }
}
