/**
 * Certificates: reading and describing them (Node's X509Certificate: RSA and EC alike),
 * checking CA files for phones, issuing a private CA, server and device certificates
 * (node-forge), and watching the expiry of the certificates the ACS serves.
 */
export { CertificateError, readCertificates, holdsPrivateKey } from './read';
export { describeCertificate, daysLeft, oneLine, shortName, type CertificateSummary } from './describe';
export { phoneCaFile, CaFileError, MAX_CA_FILE_BYTES, type PhoneCaFile } from './ca-file';
export { createCa, issueServer, issueDevice, IssueError, type KeyAndCertificate, type CaRequest, type ServerRequest, type DeviceRequest } from './issue';
